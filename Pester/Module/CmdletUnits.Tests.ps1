<#
    Every cmdlet unit (templates/cmdlets/<Verb-Noun>.ps1) against its model (generated/contracts/cmdlets.json,
    written by the generator from src/model/cmdlets), with PowerShell's own parser
    (Pester/Support/CmdletUnit.psm1): one function named like the file and nothing the model owns; no variable
    read that is neither assigned nor a declared parameter; no declared parameter left unused; $progressId exactly
    when the model gives one; terminating errors only through Stop-VmmCommand, with exactly the ids and
    categories the model lists. The second part feeds the checker small bad units to show that each rule fails.
#>

BeforeDiscovery {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $contracts = (Get-Content -Raw -LiteralPath (Join-Path $repoRoot 'generated/contracts/cmdlets.json') | ConvertFrom-Json).cmdlets
    # Rewritten with the library store; they move to Stop-VmmCommand with it.
    $unitCases = foreach ($contract in @($contracts | Where-Object { $_.status -eq 'implemented' })) {
        @{ Name = $contract.name; File = (Join-Path $repoRoot "templates/cmdlets/$($contract.name).ps1") }
    }
}

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'Pester/Support/CmdletUnit.psm1') -Force
    $contracts = @{}
    foreach ($contract in (Get-Content -Raw -LiteralPath (Join-Path $repoRoot 'generated/contracts/cmdlets.json') | ConvertFrom-Json).cmdlets) {
        $contracts[$contract.name] = $contract
    }
    $newUnit = {
        param([string] $Name, [string] $Text)
        $file = Join-Path $TestDrive "$Name.ps1"
        Set-Content -LiteralPath $file -Value $Text -Encoding utf8
        $file
    }
    $contract = [pscustomobject]@{
        name       = 'Get-VmmThing'
        parameters = @('Path', 'Force')
        progressId = $null
        errors     = @([pscustomobject]@{ id = 'BadPath'; category = 'InvalidArgument' })
    }
}

Describe 'Cmdlet units' {
    It 'every implemented cmdlet of the model has its unit' {
        $missing = @($contracts.Values | Where-Object { $_.status -eq 'implemented' -and -not (Test-Path -LiteralPath (Join-Path $repoRoot "templates/cmdlets/$($_.name).ps1")) } | ForEach-Object name)
        $missing | Should -BeNullOrEmpty
        $contracts.Count | Should -BeGreaterThan 20
    }

    It 'every unit is a cmdlet of the model' {
        $stray = @(Get-ChildItem -LiteralPath (Join-Path $repoRoot 'templates/cmdlets') -Filter '*.ps1' | Where-Object { -not $contracts.ContainsKey($_.BaseName) } | ForEach-Object Name)
        $stray | Should -BeNullOrEmpty
    }

    It '<Name> matches its model' -ForEach $unitCases {
        $problems = @(Test-VmmCmdletUnit -Path $File -Contract $contracts[$Name])
        $problems -join "`n" | Should -BeNullOrEmpty
    }
}

Describe 'The unit checker' {
    It 'passes a unit that reads its parameters and throws what the model lists' {
        $file = & $newUnit 'Get-VmmThing' @'
function Get-VmmThing {
    $full = $Path
    if ($PSBoundParameters.ContainsKey('Force')) { $full = $full + '!' }
    foreach ($item in @($full)) { if (-not $item) { Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'No path.' -ErrorId BadPath -Category InvalidArgument -Target $item } }
    $full
}
'@
        @(Test-VmmCmdletUnit -Path $file -Contract $contract) | Should -BeNullOrEmpty
    }

    It 'fails a unit that reads a parameter the model does not declare' {
        $file = & $newUnit 'Get-VmmThing' @'
function Get-VmmThing {
    if ($Force) { $Path }
    if (-not $RetainDays) { Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'No days.' -ErrorId BadPath -Category InvalidArgument }
}
'@
        @(Test-VmmCmdletUnit -Path $file -Contract $contract) | Should -Be @('reads $RetainDays, which is neither assigned in the body nor a parameter the model declares')
    }

    It 'fails a unit that leaves a declared parameter unused' {
        $file = & $newUnit 'Get-VmmThing' @'
function Get-VmmThing {
    if (-not $Path) { Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'No path.' -ErrorId BadPath -Category InvalidArgument }
}
'@
        @(Test-VmmCmdletUnit -Path $file -Contract $contract) | Should -Be @('leaves the parameter -Force (declared by the model) unused')
    }

    It 'counts a parameter forwarded with all of $PSBoundParameters as used' {
        $file = & $newUnit 'Get-VmmThing' @'
function Get-VmmThing {
    $forward = @{} + $PSBoundParameters
    if (-not $Path) { Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'No path.' -ErrorId BadPath -Category InvalidArgument }
    Get-ChildItem @forward
}
'@
        @(Test-VmmCmdletUnit -Path $file -Contract $contract) | Should -BeNullOrEmpty
    }

    It 'fails a unit that throws an error id the model does not list, or with another category' {
        $file = & $newUnit 'Get-VmmThing' @'
function Get-VmmThing {
    if ($Force) { Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'Busy.' -ErrorId DestinationBusy -Category ResourceBusy -Target $Path }
    Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'No path.' -ErrorId BadPath -Category InvalidArgument
    Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'Gone.' -ErrorId BadPath -Category ObjectNotFound
}
'@
        @(Test-VmmCmdletUnit -Path $file -Contract $contract) | Should -Be @(
            'line 2: throws the error id DestinationBusy, which the model does not list'
            'line 4: throws BadPath (ObjectNotFound); the model does not list it so (category, or written rather than thrown)'
        )
    }

    It 'tells an error written and going on (-NonTerminating) from one that stops' {
        $file = & $newUnit 'Get-VmmThing' @'
function Get-VmmThing {
    if ($Force) { $Path }
    Stop-VmmCommand -Cmdlet $PSCmdlet -NonTerminating -Message 'No path.' -ErrorId BadPath -Category InvalidArgument
}
'@
        @(Test-VmmCmdletUnit -Path $file -Contract $contract) | Should -Be @(
            'line 3: throws BadPath (InvalidArgument) written; the model does not list it so (category, or written rather than thrown)'
            'never throws the error BadPath (InvalidArgument), which the model lists'
        )
        $written = [pscustomobject]@{ name = 'Get-VmmThing'; parameters = @('Path', 'Force'); progressId = $null; errors = @([pscustomobject]@{ id = 'BadPath'; category = 'InvalidArgument'; nonTerminating = $true }) }
        @(Test-VmmCmdletUnit -Path $file -Contract $written) | Should -BeNullOrEmpty
    }

    It 'fails a unit that never throws an error the model lists, or stops without Stop-VmmCommand' {
        $file = & $newUnit 'Get-VmmThing' @'
function Get-VmmThing {
    if ($Force) { $PSCmdlet.ThrowTerminatingError($Path) }
    $id = 'BadPath'
    Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'No path.' -ErrorId $id -Category InvalidArgument
}
'@
        @(Test-VmmCmdletUnit -Path $file -Contract $contract) | Should -Be @(
            'line 2: calls ThrowTerminatingError; stop with Stop-VmmCommand'
            'line 4: Stop-VmmCommand needs a constant -ErrorId (the model lists the error ids and categories)'
            'never throws the error BadPath (InvalidArgument), which the model lists'
        )
    }

    It 'fails a unit that declares its own parameters, is named unlike its file or holds more than the function' {
        $file = & $newUnit 'Get-VmmThing' "function Get-VmmThing {`n    param([string] `$Path, [switch] `$Force)`n    if (`$Force) { `$Path }`n    Stop-VmmCommand -Cmdlet `$PSCmdlet -Message 'x' -ErrorId BadPath -Category InvalidArgument`n}"
        @(Test-VmmCmdletUnit -Path $file -Contract $contract) | Should -Be @('declares its own parameters; the model owns the param block')
        $file = & $newUnit 'Get-VmmThing' "function Get-VmmOther {`n    if (`$Force) { `$Path }`n    Stop-VmmCommand -Cmdlet `$PSCmdlet -Message 'x' -ErrorId BadPath -Category InvalidArgument`n}"
        @(Test-VmmCmdletUnit -Path $file -Contract $contract) | Should -Be @('defines function Get-VmmOther; the file names Get-VmmThing')
        $file = & $newUnit 'Get-VmmThing' "`$x = 1`nfunction Get-VmmThing {`n    `$Path`n}"
        @(Test-VmmCmdletUnit -Path $file -Contract $contract) | Should -Be @('must hold exactly one function, Get-VmmThing, and nothing else')
    }

    It 'requires $progressId to be read, and never assigned, when the model gives a progress id; refuses it otherwise' {
        $withProgress = [pscustomobject]@{ name = 'Get-VmmThing'; parameters = @(); progressId = 4990; errors = @() }
        $file = & $newUnit 'Get-VmmThing' "function Get-VmmThing {`n    Write-Progress -Id 1 -Activity 'x'`n}"
        @(Test-VmmCmdletUnit -Path $file -Contract $withProgress) | Should -Be @('never reads $progressId, though the model gives the cmdlet one')
        $file = & $newUnit 'Get-VmmThing' "function Get-VmmThing {`n    `$progressId = 1`n    Write-Progress -Id `$progressId -Activity 'x'`n}"
        @(Test-VmmCmdletUnit -Path $file -Contract $withProgress) | Should -Be @('assigns $progressId, which the generator sets from the model')
        $file = & $newUnit 'Get-VmmThing' "function Get-VmmThing {`n    Write-Progress -Id `$progressId -Activity 'x'`n}"
        @(Test-VmmCmdletUnit -Path $file -Contract ([pscustomobject]@{ name = 'Get-VmmThing'; parameters = @(); progressId = $null; errors = @() })) | Should -Be @('reads $progressId, which is neither assigned in the body nor a parameter the model declares')
    }

    It 'collects the error ids and categories a unit throws, for the model' {
        $file = & $newUnit 'Get-VmmThing' @'
function Get-VmmThing {
    Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'a' -ErrorId BadPath -Category InvalidArgument
    Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'b' -ErrorId BadPath -Category InvalidArgument
    Stop-VmmCommand -Cmdlet $PSCmdlet -Message 'c' -ErrorId 'Gone' -Category 'ObjectNotFound'
}
'@
        @(Get-VmmCmdletUnitError -Path $file | ForEach-Object { "$($_.Id)/$($_.Category)" }) | Should -Be @('BadPath/InvalidArgument', 'Gone/ObjectNotFound')
    }
}
