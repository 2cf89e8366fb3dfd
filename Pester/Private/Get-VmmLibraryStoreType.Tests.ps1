<#
    Get-VmmLibraryStoreType keeps the library store's compiled code per user and runtime: the first process
    compiles it and keeps the assembly, the next ones load it instead of compiling, and a damaged cached file is
    compiled again and replaced. Each case runs in fresh pwsh processes whose local application data is a
    temporary folder (XDG_DATA_HOME), so nothing of the user's own cache is used or touched.
#>
BeforeAll {
    $script:Pwsh = Join-Path $PSHOME 'pwsh'
    if (-not (Test-Path -LiteralPath $script:Pwsh)) { $script:Pwsh = Join-Path $PSHOME 'pwsh.exe' }
    $script:Module = Join-Path (Split-Path (Split-Path $PSScriptRoot -Parent) -Parent) 'generated/VmmBackup/VmmBackup.psd1'

    function Invoke-StoreTypeProcess {
        # A fresh process: reads a library set (Test-VmmBackup), then says where the store's types came from.
        param([string] $DataHome, [string] $Destination)
        $script = @'
param($Module, $Destination)
Import-Module $Module
$row = Test-VmmBackup -Path $Destination
$namespace = & (Get-Module VmmBackup) { Get-VmmLibraryStoreType }
$type = ($namespace + '.Store') -as [type]
[pscustomobject]@{ State = $row.State; Location = $type.Assembly.Location } | ConvertTo-Json -Compress
'@
        $file = Join-Path $TestDrive ('probe-' + [guid]::NewGuid().ToString('N') + '.ps1')
        [System.IO.File]::WriteAllText($file, $script)
        $before = $env:XDG_DATA_HOME
        try {
            $env:XDG_DATA_HOME = $DataHome
            $text = & $script:Pwsh -NoProfile -NonInteractive -File $file -Module $script:Module -Destination $Destination
        } finally {
            $env:XDG_DATA_HOME = $before
        }
        if ($LASTEXITCODE -ne 0) { throw "the probe process failed: $text" }
        $text | ConvertFrom-Json
    }
}

Describe 'Get-VmmLibraryStoreType' {
    BeforeAll {
        Import-Module $script:Module -Force
        $share = Join-Path $TestDrive 'share'
        $null = New-Item -ItemType Directory -Path $share
        [System.IO.File]::WriteAllText((Join-Path $share 'disk.vhdx'), 'disk')
        $script:Destination = Join-Path $TestDrive 'dest'
        $null = Backup-VmmLibraryShare -Path $share -Destination $script:Destination -Confirm:$false
    }

    It 'keeps the compiled code in local application data and loads it from there in the next process' {
        $dataHome = Join-Path $TestDrive ('data-' + [guid]::NewGuid().ToString('N'))
        $first = Invoke-StoreTypeProcess -DataHome $dataHome -Destination $script:Destination
        $first.State | Should -Be 'Good'
        $cached = @(Get-ChildItem -LiteralPath (Join-Path $dataHome 'VmmBackup/store') -Filter '*.dll')
        $cached.Count | Should -Be 1
        $cached[0].Name | Should -BeLike 'VmmBackup.Store.E*.core*.dll'
        @(Get-ChildItem -LiteralPath (Join-Path $dataHome 'VmmBackup/store') -Filter '*.tmp').Count | Should -Be 0

        $second = Invoke-StoreTypeProcess -DataHome $dataHome -Destination $script:Destination
        $second.State | Should -Be 'Good'
        $second.Location | Should -Be $cached[0].FullName
    }

    It 'compiles again and replaces a cached file that does not load' {
        $dataHome = Join-Path $TestDrive ('data-' + [guid]::NewGuid().ToString('N'))
        $null = Invoke-StoreTypeProcess -DataHome $dataHome -Destination $script:Destination
        $cached = @(Get-ChildItem -LiteralPath (Join-Path $dataHome 'VmmBackup/store') -Filter '*.dll')[0]
        [System.IO.File]::WriteAllText($cached.FullName, 'not an assembly')

        $again = Invoke-StoreTypeProcess -DataHome $dataHome -Destination $script:Destination
        $again.State | Should -Be 'Good'
        $again.Location | Should -Be $cached.FullName
        (Get-Item -LiteralPath $cached.FullName).Length | Should -BeGreaterThan 1024
    }

    It 'compiles for the session alone when local application data cannot be written' {
        $blocked = Join-Path $TestDrive ('blocked-' + [guid]::NewGuid().ToString('N'))
        # A file where the VmmBackup folder would go: no folder can be made there.
        $null = New-Item -ItemType Directory -Path $blocked
        [System.IO.File]::WriteAllText((Join-Path $blocked 'VmmBackup'), 'a file, not a folder')
        $result = Invoke-StoreTypeProcess -DataHome $blocked -Destination $script:Destination
        $result.State | Should -Be 'Good'
        $result.Location | Should -BeNullOrEmpty
    }
}
